"""Golden files (expected IR and generated source) and the test that compares them."""
