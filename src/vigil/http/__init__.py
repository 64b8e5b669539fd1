"""Domain-neutral web kit: request dependencies, path/query parameters and problem replies."""
