"""The site's pages, one module per area; each gives `routes(site)` relative to /aliexpress."""
