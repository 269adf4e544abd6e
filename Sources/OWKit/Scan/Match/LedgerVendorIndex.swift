import OWCore
import OWOffice
import OWReaders

extension VendorIndex {
    /// The ledger's vendor catalog, indexed.
    package init(_ db: Database) throws { self.init(try Vendors.list(db)) }
}
