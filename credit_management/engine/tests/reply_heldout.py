"""Replies written after the analyser was frozen, never used to tune it: its honest measure.

Same conventions as ``reply_corpus.py`` (received on ``TODAY``, about ``INVOICES``). The
analyser's phrases were written while reading ``reply_corpus.py``; these replies were
written afterwards, and the analyser was not changed for them: their figures are what a new
customer's wording gets.
"""

from reply_corpus import AUTO
from reply_corpus import QUOTE_EN
from reply_corpus import QUOTE_FR
from reply_corpus import R

HELDOUT = [
    R("Bonjour, nous vous adresserons le règlement le 18 décembre.", "promise", "2026-12-18"),
    R("Je m'engage à payer 1 000 € avant le 24/12.", "promise", "2026-12-24", 1000.0),
    R("Virement prévu le 2 janvier, désolé pour le retard.", "promise", "2027-01-02"),
    R("on regle tout le 20", "promise", "2026-12-20"),
    R("Notre service comptable procèdera au paiement jeudi.", "promise", "2026-12-10"),
    R("La facture 142 sera soldée dans 3 semaines.", "promise", "2026-12-28", None, [142]),
    R("We will make the payment on 30 December.", "promise", "2026-12-30"),
    R("Expect the funds on Wednesday.", "promise", "2026-12-09"),
    R("I'll pay EUR 600 this Friday and the rest next month.", "promise", "2026-12-11", 600.0),
    R("Payment will follow within two weeks.", "promise", "2026-12-21"),
    R("we'll pay it next week promise", "promise", "2026-12-14"),
    R(
        "Dear Sirs,\nPlease note that invoice INV/2026/00131 is approved and will be paid on "
        "January 8th.\nYours faithfully" + QUOTE_EN,
        "promise",
        "2027-01-08",
        None,
        [131],
    ),
    R("Réglée le 4 décembre, chèque n° 1234567.", "paid", "2026-12-04"),
    R("Nous avons procédé au virement ce jour.", "paid", "2026-12-07"),
    R("C'est payé depuis une semaine !", "paid"),
    R("Le paiement est parti hier soir.", "paid", "2026-12-06"),
    R("The invoice was settled on 3 December.", "paid", "2026-12-03"),
    R("Funds were transferred yesterday, please check.", "paid", "2026-12-06"),
    R("We already sent you the money last week.", "paid"),
    R("Je conteste le montant de cette facture.", "dispute"),
    R("Les prestations facturées n'ont pas été réalisées.", "dispute"),
    R("Nous avons retourné la marchandise, merci d'annuler la facture.", "dispute"),
    R("The service was not delivered as agreed, we refuse to pay.", "dispute"),
    R("These goods were returned to you in November.", "dispute"),
    R("The amount is wrong, our PO says 1,000 EUR.", "dispute", None, 1000.0),
    R("Merci de me renvoyer la facture 131, je ne la retrouve pas.", "copy", None, None, [131]),
    R("Pourriez-vous me transmettre les factures en attente ?", "copy"),
    R("Please send me the invoice, I cannot find it.", "copy"),
    R("Do you have a copy of the bill?", "copy"),
    R("Je suis en congé jusqu'au 3 janvier.", "out_of_office", headers=AUTO),
    R("Bonjour, je suis absent jusqu'au 14 décembre.", "out_of_office"),
    R("I am out of office until 4 January with no access to email.", "out_of_office"),
    R(
        "Bonjour,\nLa société fait l'objet d'une liquidation judiciaire. Toute créance doit être "
        "déclarée au liquidateur.",
        "insolvency",
    ),
    R("The company is under administration since 1 December.", "insolvency"),
    R("Merci, je regarde et je reviens vers vous.", "other"),
    R("Can we talk on the phone tomorrow?", "other"),
    R("Quel est le montant exact à régler ?", "other"),
    R("Please update your records with our new address.", "other"),
    R("Bonne réception." + QUOTE_FR, "other"),
    R("I will check with accounting and get back to you.", "other"),
]
