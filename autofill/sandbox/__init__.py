"""The built-in sandbox Seller Centers (demo, training, tests): Joom under /joom, AliExpress under
/aliexpress, test hooks under /__sandbox__/ (off unless enabled)."""
