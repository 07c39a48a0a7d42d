"""Private helpers shared by every module. Not part of the public API."""
