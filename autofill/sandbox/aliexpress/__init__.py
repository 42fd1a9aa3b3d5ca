"""The AliExpress seller backend imitation (Chinese UI), mounted at /aliexpress: see SPEC.md."""
