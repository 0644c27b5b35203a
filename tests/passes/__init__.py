"""The passes alone on lowered IR (CSE, DCE, in-place marking, the alias check), and aliasing
soundness end to end."""
