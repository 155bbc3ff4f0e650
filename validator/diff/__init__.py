"""Contract diff: what changed between two contract versions, and who it breaks."""
