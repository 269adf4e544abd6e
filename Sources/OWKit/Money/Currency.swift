/// An ISO 4217 currency with its minor-unit exponent (JPY 0, EUR 2, BHD 3).
public struct Currency: Equatable, Hashable, Sendable {
    public let code: String
    public let exponent: Int

    package init(code: String, exponent: Int) {
        self.code = code
        self.exponent = exponent
    }

    /// Exponents from the ISO 4217 list for the currencies an office is likely to meet.
    static let exponents: [String: Int] = [
        "AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2,
        "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2,
        "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MAD": 2, "MXN": 2, "MYR": 2, "NGN": 2,
        "NOK": 2, "NZD": 2, "OMR": 3, "PEN": 2, "PHP": 2, "PKR": 2, "PLN": 2, "QAR": 2, "RON": 2, "RSD": 2,
        "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2, "USD": 2, "UYU": 2,
        "VND": 0, "ZAR": 2, "KES": 2, "GHS": 2, "LKR": 2, "BDT": 2, "VES": 2, "XOF": 0, "XAF": 0, "UGX": 0,
    ]

    /// A code read back from the ledger, parsed once per list through `cache`. owatch wrote it,
    /// so it is known; one this build does not know keeps two decimals rather than failing a report.
    package static func stored(_ code: String, cache: inout [String: Currency]) -> Currency {
        if let c = cache[code] { return c }
        let c = (try? parse(code)) ?? Currency(code: code, exponent: 2)
        cache[code] = c
        return c
    }

    public static func parse(_ code: String) throws -> Currency {
        let upper = code.uppercased()
        guard let e = exponents[upper] else {
            throw OWError.usage("unknown currency '\(code.prefix(16))'", hint: "use an ISO 4217 code such as EUR, USD, GBP or JPY")
        }
        return Currency(code: upper, exponent: e)
    }
}
