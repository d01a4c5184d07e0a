"""One module per mechanism of MODEL.md, each a pure function of arrays, switchable by params.on."""
