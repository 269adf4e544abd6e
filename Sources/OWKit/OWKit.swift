@_exported import OWChannel
// The umbrella module: importing OWKit imports every layer (issue 30), so the front end and the
// binary see one library while each layer compiles against only those below it.
@_exported import OWCore
@_exported import OWIdentity
@_exported import OWOffice
@_exported import OWReaders
@_exported import OWReports
@_exported import OWRequests
@_exported import OWScan
