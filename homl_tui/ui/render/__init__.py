"""Pure text rendering for the UI panels (no Textual): downsampling, charts, CartPole."""
