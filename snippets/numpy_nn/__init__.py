"""Neural-network building blocks in plain NumPy: forward and backward side by side."""
