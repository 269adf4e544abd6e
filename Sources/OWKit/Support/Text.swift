// Text helpers the command line (OWCLI) shares with the library: "did you mean" suggestions and
// column padding. They live in OWText, below both, and every layer sees them through OWCore.
@_exported import OWText
