"""STIX 2.1 export and import (the pure mapping in `stix`), over HTTP and the CLI."""
