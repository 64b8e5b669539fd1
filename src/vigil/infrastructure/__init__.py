"""Critical infrastructure: assets, their dependencies, cascades and risk."""
