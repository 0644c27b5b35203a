"""The transforms: forward and reverse mode on lists, np.where masks."""
