"""Pages of the governance app, thin: parse, call one service or selector, render."""
