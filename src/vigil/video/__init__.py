"""Video monitoring without identification: cameras, coverage and events in places."""
