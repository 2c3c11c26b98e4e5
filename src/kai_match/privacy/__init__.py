"""Data protection: archiving and erasure, the Art. 15 export, consent routes, retention."""
