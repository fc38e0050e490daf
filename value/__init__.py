"""Customer value models (plain Python, no Dagster): predicted customer lifetime value."""
