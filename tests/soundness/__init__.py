"""Soundness cases that cross layers: user objects, derivative rules at singular points and every
path by which a value could skip a rule."""
