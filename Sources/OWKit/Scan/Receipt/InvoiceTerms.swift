import FoundationEssentials
import OWBase

/// Words of invoices in the EU languages, by the EN 16931-1 business term they print (the
/// semantic data model of the European e-invoicing standard, whose published language versions
/// name BT-1 the invoice, BT-2 its issue date, BT-112 the total with VAT and BT-115 the amount due
/// for payment), and the renewal and payment wording of subscription mail. Labels found on one
/// corpus generalise poorly; these are the terms invoices in each language are required to carry.
package enum InvoiceTerms {
    /// BT-1 "Invoice" (the document's name), per language.
    static let invoice = [
        "invoice", "rechnung", "facture", "factura", "fattura", "fatura", "factuur", "faktura", "faktúra", "lasku", "arve", "rēķins",
        "sąskaita", "számla", "račun", "фактура", "τιμολόγιο", "factură", "fattura elettronica",
    ]
    /// BT-115 "Amount due for payment" and BT-112 "Invoice total amount with VAT", best first.
    static let amountDue = [
        "amount due for payment", "invoice total amount with vat", "fälliger betrag", "gesamtbetrag inkl. ust", "montant à payer",
        "montant total ttc", "importe a pagar", "importe total con iva", "importo da pagare", "totale documento", "valor a pagar",
        "total com iva", "te betalen bedrag", "totaal te betalen", "totaal incl. btw", "totaal inclusief btw", "at betale i alt",
        "beløb til betaling", "total inkl. moms", "å betale totalt", "sum å betale", "belopp att betala", "summa att betala",
        "maksettava yhteensä", "yhteensä verollinen", "celkem k úhradě", "k úhradě", "celkem s dph", "suma k úhrade", "na úhradu",
        "kwota do zapłaty", "razem do zapłaty", "fizetendő összeg", "fizetendő", "de plată", "total de plată", "za plačilo",
        "za platiti", "maksmisele kuuluv summa", "kopā apmaksai", "mokėtina suma",
    ]
    /// BT-2 "Invoice issue date".
    package static let issueDate = [
        "datum vystavení", "data emisji", "fakturadato", "utstedelsesdato", "laskun päiväys", "data emissione", "data di emissione",
        "számla kelte", "kiállítás dátuma", "data emiterii", "datum izdaje", "datum vydání", "dátum vyhotovenia",
    ]
    /// Renewal and payment mail that says neither receipt nor invoice ("Your subscription has been renewed").
    static let payment = [
        "has been renewed", "was renewed", "renewed", "thanks for your payment", "thank you for your purchase",
        "payment successful", "successful payment", "payment processed", "payment confirmation", "payment receipt",
        "verlängert", "erneuert", "zahlung erhalten", "renouvelé", "paiement reçu", "confirmation de paiement", "renovad",
        "pago recibido", "confirmación de pago", "rinnovat", "pagamento ricevuto", "conferma di pagamento", "verlengd",
        "betaling ontvangen", "betalingsbevestiging", "förnyad", "betalning mottagen", "fornyet", "betaling modtaget",
        "uusittu", "maksu vastaanotettu", "odnowion", "potwierdzenie płatności", "obnoven", "potvrzení platby", "pagamento recebido",
        "更新されました", "ご請求", "ご利用料金", "お支払い完了", "결제 완료", "갱신", "付款成功", "已续订",
    ]
    /// An order's total as web shops print it on the receipt of an order placed and paid ("Order Total:
    /// $32.05", "Gesamtbestellwert", "Total de la commande"): the order page is the receipt. An order
    /// confirmation that announces its invoice is still none (`LookAlikeTitle.billedLater`).
    static let orderTotal = [
        "order total", "total for this order", "gesamtbestellwert", "bestellsumme", "total de la commande", "total del pedido",
        "totale ordine", "totaal bestelling",
    ]
    /// What a subscription says, beyond English: a plan, a period, a renewal (the unknown-sender gate).
    static let subscription = [
        "abonnement", "suscripción", "assinatura", "abbonamento", "prenumeration", "tilaus", "subskrypcja", "abonament",
        "předplatné", "előfizetés", "abonnemang", "lidmaatschap", "mitgliedschaft", "月額", "年額", "プラン", "サブスクリプション",
        "구독", "订阅", "consommation", "verbrauch", "abrechnungszeitraum", "période de facturation", "billing period",
        // Utilities bill monthly without saying subscription: a contract, a meter, a tariff.
        "contrat n°", "n° de contrat", "numéro de contrat", "vertragskonto", "vertragsnummer", "contract number", "électricité",
        "electricity",
    ]
}
