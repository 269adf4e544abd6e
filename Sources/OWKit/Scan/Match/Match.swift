import OWCore
import OWOffice

/// The matcher's decision on an observed charge (`Matcher.record`): a new charge (matched to a
/// license or an approved purchase, or raising an unmanaged, price-change or duplicate finding),
/// one seen before, or one held for review.
package enum Match {
    /// A new charge.
    case new
    /// Recorded before (its invoice, or the same payment from another kind of source).
    case seen
    /// A forward that waits for an admin as a review finding; no charge yet.
    case held
}
