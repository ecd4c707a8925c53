"""Licensed local lenders' loan books: the true cost of credit and the legal cap."""
