"""The Joom Seller Center sandbox (English UI): see SPEC.md."""
