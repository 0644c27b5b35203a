"""The backend: hand-built IR emitted, compiled and run."""
