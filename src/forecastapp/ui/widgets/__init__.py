"""Widgets and looks shared by panels and dialogs: input fields (`fields`), colours and icons
(`look`), text-view spans (`spans`). They import only the core, never operations or windows."""
