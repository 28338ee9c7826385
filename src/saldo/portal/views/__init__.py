"""The portal's pages: thin adapters that parse a form, call one service and render."""
