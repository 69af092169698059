"""One module per job kind; api/solving/registry.py lists them."""
