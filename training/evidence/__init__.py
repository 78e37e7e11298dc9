"""Evidence: keys, seals, checkpoints, record verification, certificate checks, packs, as-of answers."""
