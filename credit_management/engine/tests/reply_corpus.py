"""Replies to reminders, written for the analyser's measure, with what each says.

Every reply answers a reminder received on Monday 7 December 2026 (``TODAY``) about the
customer's open invoices ``INVOICES``. Each entry: the reply's text (some with the quoted
reminder below them, as mail clients send them), the expected intent, the date (ISO) and the
amount the collector would retype, and the headers or subject when they matter. A date or an
amount the reply does not give is ``None``; an amount without a currency is no amount.
French and English, formal and sloppy (no accents, typos, lower case, phone style).
"""

from datetime import date

from engine.reply import OpenInvoice

TODAY = date(2026, 12, 7)
INVOICES = (
    OpenInvoice(131, "INV/2026/00131", 5040.0),
    OpenInvoice(142, "INV/2026/00142", 1200.0),
    OpenInvoice(42, "FAC/2026/0042", 780.5),
)
QUOTE_FR = (
    "\n\nLe lun. 7 déc. 2026 à 09:12, Service recouvrement <relance@example.com> a écrit :\n"
    "> Madame, Monsieur, sauf erreur de notre part, la facture INV/2026/00131 de 5 040,00 €\n"
    "> échue le 15/11/2026 reste impayée. Merci de procéder au paiement sous 8 jours.\n"
)
QUOTE_EN = (
    "\n\nOn Mon, Dec 7, 2026 at 9:12 AM Credit control <dunning@example.com> wrote:\n"
    "> Dear customer, invoice INV/2026/00142 of EUR 1,200.00 due on 11/15/2026 is unpaid.\n"
    "> Please pay it by 12/15/2026 or call us.\n"
)
AUTO = {"Auto-Submitted": "auto-replied"}


def R(text, intent, day=None, amount=None, invoices=(), headers=None, subject=""):
    return {
        "text": text,
        "intent": intent,
        "date": date.fromisoformat(day) if day else None,
        "amount": amount,
        "invoices": tuple(invoices),
        "headers": headers or {},
        "subject": subject,
    }


CORPUS = [
    # ------------------------------------------------------------------ promises (French)
    R("Bonjour, je vous règle 5 040,00 € le 15 janvier.", "promise", "2027-01-15", 5040.0),
    R(
        "Bonjour, nous vous réglerons 1 250,00 € le 15 du mois prochain par virement.",
        "promise",
        "2027-01-15",
        1250.0,
    ),
    R("We will pay EUR 780.50 on the 20th of next month.", "promise", "2027-01-20", 780.5),
    R(
        "Madame, Monsieur,\nNous procéderons au règlement de la facture INV/2026/00131 le "
        "15/01/2027 par virement.\nCordialement," + QUOTE_FR,
        "promise",
        "2027-01-15",
        None,
        [131],
    ),
    R("Le virement de 1 200 € sera effectué vendredi.", "promise", "2026-12-11", 1200.0),
    R("bonjour on vous paye demain", "promise", "2026-12-08"),
    R(
        "Nous réglerons la facture FAC/2026/0042 à la fin du mois.",
        "promise",
        "2026-12-31",
        None,
        [42],
    ),
    R("Bonjour, le paiement est prévu pour le 20 décembre.", "promise", "2026-12-20"),
    R("Je vous fais un virement de 780,50 euros lundi prochain.", "promise", "2026-12-14", 780.5),
    R(
        "Paiement programmé le 18/12/2026 pour un montant de 5040 EUR.",
        "promise",
        "2026-12-18",
        5040.0,
    ),
    R("nous allons regler la semaine prochaine", "promise", "2026-12-14"),
    R(
        "Bonjour Mme Martin,\nSuite à votre relance, la facture sera réglée sous 10 jours.\n"
        "Bien à vous",
        "promise",
        "2026-12-17",
    ),
    R("Votre facture sera payée le 5 janvier 2027.", "promise", "2027-01-05"),
    R("Je vous règle 2 000 € le 15 et le solde fin janvier.", "promise", "2026-12-15", 2000.0),
    R(
        "Le règlement de 1 200,00 € interviendra le 22/12. Nous vous prions de nous excuser.",
        "promise",
        "2026-12-22",
        1200.0,
    ),
    R(
        "Bonjour, nous pourrons vous payer mi-janvier, la trésorerie est tendue.",
        "promise",
        "2027-01-15",
    ),
    R("mise en paiement le 28 decembre", "promise", "2026-12-28"),
    R("On vous vire 1200€ demain matin sans faute", "promise", "2026-12-08", 1200.0),
    R(
        "La facture INV/2026/00142 passera dans notre prochain virement du 10/12.",
        "promise",
        "2026-12-10",
        None,
        [142],
    ),
    R(
        "Bonjour,\nLe comptable est absent cette semaine, nous réglerons votre facture à son "
        "retour, le 14 décembre.\nCdt",
        "promise",
        "2026-12-14",
    ),
    R("Nous vous réglerons dès que possible.", "promise"),
    R("Je paierai la facture 131 le 31/12.", "promise", "2026-12-31", None, [131]),
    R(
        "Nous effectuerons le virement de 5.040,00 EUR le 08/01/2027.",
        "promise",
        "2027-01-08",
        5040.0,
    ),
    R(
        "Paiement de 500 € par semaine à partir de vendredi, merci de votre compréhension.",
        "promise",
        "2026-12-11",
        500.0,
    ),
    R("c'est prevu le 16 on vous paie", "promise", "2026-12-16"),
    R("Le chèque de 780,50 € sera envoyé demain.", "promise", "2026-12-08", 780.5),
    R("Bonjour, on va vous payer d'ici 15 jours", "promise", "2026-12-22"),
    R(
        "Madame,\nJe vous confirme que le paiement sera effectué le mardi 22 décembre 2026.\n"
        "Salutations distinguées." + QUOTE_FR,
        "promise",
        "2026-12-22",
    ),
    R(
        "Nous vous paierons après réception du règlement de notre client, le 12 janvier.",
        "promise",
        "2027-01-12",
    ),
    R("je regle la facture fac 42 samedi", "promise", "2026-12-12", None, [42]),
    # ------------------------------------------------------------------ promises (English)
    R(
        "Hi, we will pay invoice INV/2026/00142 on January 15th.",
        "promise",
        "2027-01-15",
        None,
        [142],
    ),
    R("Payment of EUR 1,200.00 is scheduled for 12/18/2026.", "promise", "2026-12-18", 1200.0),
    R("We'll settle this by the end of the month.", "promise", "2026-12-31"),
    R("will pay tmrw", "promise", "2026-12-08"),
    R(
        "Dear Sir or Madam,\nThank you for your reminder. The invoice will be paid in our next "
        "payment run on 17 December.\nKind regards" + QUOTE_EN,
        "promise",
        "2026-12-17",
    ),
    R("We are going to transfer €5,040 next Friday.", "promise", "2026-12-11", 5040.0),
    R("We can pay 2,000 EUR now and the rest in January.", "promise", None, 2000.0),
    R("I'll wire the money next week.", "promise", "2026-12-14"),
    R("Payment has been approved and will be released on Dec 21.", "promise", "2026-12-21"),
    R("Invoice 131 will be paid within 10 days.", "promise", "2026-12-17", None, [131]),
    R("We plan to pay $780.50 on the 20th.", "promise", "2026-12-20", 780.5),
    R("Sorry for the delay, we expect to pay by mid January.", "promise", "2027-01-15"),
    R("we shall pay on 4 January 2027", "promise", "2027-01-04"),
    R("Your invoice is in our payment run of Thursday.", "promise", "2026-12-10"),
    R("Will be paid on Monday.", "promise", "2026-12-14"),
    R("We'll transfer 1200 euros tomorrow", "promise", "2026-12-08", 1200.0),
    R("ok we will pay asap", "promise"),
    R(
        "Hello, the payment is scheduled for next week, Wednesday at the latest.",
        "promise",
        "2026-12-14",
    ),
    R(
        "Hi Anna,\nFinance confirmed the transfer of EUR 5,040.00 will go out on 2027-01-08.\nBest",
        "promise",
        "2027-01-08",
        5040.0,
    ),
    R(
        "We intend to settle invoice FAC/2026/0042 by the end of this week.",
        "promise",
        "2026-12-11",
        None,
        [42],
    ),
    R(
        "Could pay half, 2520 EUR, on the 15th and the balance on the 31st.",
        "promise",
        "2026-12-15",
        2520.0,
    ),
    R("Payment will be processed on December 23.", "promise", "2026-12-23"),
    # ------------------------------------------------------------------ already paid (French)
    R("Bonjour, la facture a été réglée hier par virement.", "paid", "2026-12-06"),
    R("payé hier par virement", "paid", "2026-12-06"),
    R(
        "Nous avons déjà réglé cette facture le 30/11/2026, voir avis de virement joint.",
        "paid",
        "2026-11-30",
    ),
    R("Le virement de 5 040,00 € a été effectué le 3 décembre.", "paid", "2026-12-03", 5040.0),
    R("Bonjour, facture déjà payée, merci de vérifier.", "paid"),
    R("Le chèque de 780,50 € est parti vendredi dernier.", "paid", "2026-12-04", 780.5),
    R(
        "Nous avons bien payé la facture INV/2026/00142 ce matin.",
        "paid",
        "2026-12-07",
        None,
        [142],
    ),
    R("Je vous ai viré 1200 € aujourd'hui.", "paid", "2026-12-07", 1200.0),
    R(
        "Madame,\nNous vous informons que le règlement de la facture 131 a été effectué le "
        "2 décembre par virement SEPA.\nCordialement." + QUOTE_FR,
        "paid",
        "2026-12-02",
        None,
        [131],
    ),
    R("deja regle le 1er decembre", "paid", "2026-12-01"),
    R("Réglé la semaine dernière, vous devriez l'avoir reçu.", "paid"),
    R("Ci-joint la preuve de paiement.", "paid"),
    # ------------------------------------------------------------------ already paid (English)
    R("We paid this invoice yesterday.", "paid", "2026-12-06"),
    R("This has already been paid on 11/30/2026.", "paid", "2026-11-30"),
    R("Payment of EUR 5,040.00 was made on December 3rd.", "paid", "2026-12-03", 5040.0),
    R("already paid!! check your bank", "paid"),
    R(
        "Please find attached the remittance advice for invoice INV/2026/00142.",
        "paid",
        None,
        None,
        [142],
    ),
    R("The transfer was sent last Friday, £780.50.", "paid", "2026-12-04", 780.5),
    R("We settled it on the 2nd.", "paid", "2026-12-02"),
    R(
        "Dear team,\nOur records show invoice FAC/2026/0042 has been paid in full on 1 Dec "
        "2026.\nRegards" + QUOTE_EN,
        "paid",
        "2026-12-01",
        None,
        [42],
    ),
    R("paid today 1200 eur", "paid", "2026-12-07", 1200.0),
    R("The cheque was issued on Friday last week.", "paid"),
    R("Payment reference TRF-99812, sent this morning.", "paid", "2026-12-07"),
    R("We wired the money on Thursday, should be with you now.", "paid"),
    # ------------------------------------------------------------------ disputes (French)
    R("La facture INV/2026/00131 ne correspond pas à la commande.", "dispute", None, None, [131]),
    R(
        "Bonjour, le prix facturé ne correspond pas au prix convenu avec votre commercial.",
        "dispute",
    ),
    R("Nous contestons cette facture : la marchandise est arrivée abîmée.", "dispute"),
    R("Nous n'avons jamais reçu la marchandise de la facture 142.", "dispute", None, None, [142]),
    R("Cette facture est un doublon de la FAC/2026/0042.", "dispute", None, None, [42]),
    R("La remise de 10 % n'a pas été appliquée, merci de nous faire un avoir.", "dispute"),
    R("quantite facturee erronee, on a recu 8 cartons pas 10", "dispute"),
    R("Le matériel livré est défectueux, nous attendons un avoir avant de payer.", "dispute"),
    R(
        "Bonjour, il y a un litige en cours sur cette facture avec votre service commercial.",
        "dispute",
    ),
    R("Facture déjà facturée le mois dernier !", "dispute"),
    R("Nous n'avons pas commandé cette prestation.", "dispute"),
    R(
        "Madame, Monsieur,\nNous ne réglerons pas la facture INV/2026/00131 : la prestation "
        "n'a jamais été effectuée.\nSalutations" + QUOTE_FR,
        "dispute",
        None,
        None,
        [131],
    ),
    R("la commande n'est toujours pas livree, pas question de payer", "dispute"),
    R("Le montant facturé est erroné : 4 800 € au lieu de 5 040 €.", "dispute", None, 4800.0),
    R("Votre facture ne correspond en rien au devis.", "dispute"),
    R("Réclamation : produits non conformes, voir photos jointes.", "dispute"),
    # ------------------------------------------------------------------ disputes (English)
    R("Invoice INV/2026/00142 does not match our purchase order.", "dispute", None, None, [142]),
    R("We dispute this invoice: the goods arrived damaged.", "dispute"),
    R("The agreed price was 1,100 EUR, not 1,200 EUR.", "dispute", None, 1100.0),
    R("We have never received the goods.", "dispute"),
    R("You invoiced us twice for the same delivery.", "dispute"),
    R("The units are defective, we're waiting for a credit note.", "dispute"),
    R("wrong quantity on invoice 131, we only received 8 pallets", "dispute", None, None, [131]),
    R("We never ordered this service.", "dispute"),
    R("There is a discrepancy between the invoice and the delivery note.", "dispute"),
    R("This invoice is disputed, please contact our purchasing team.", "dispute"),
    R("We were overcharged on FAC/2026/0042.", "dispute", None, None, [42]),
    R("The machine is not working since delivery. We won't pay until it is fixed.", "dispute"),
    # ------------------------------------------------------------------ copy requests (French)
    R("Bonjour, pourriez-vous nous envoyer une copie de la facture ?", "copy"),
    R(
        "Nous n'avons pas reçu la facture INV/2026/00131, merci de nous la renvoyer.",
        "copy",
        None,
        None,
        [131],
    ),
    R("Merci de nous transmettre un duplicata de la facture 142.", "copy", None, None, [142]),
    R("pouvez vous me renvoyer la facture svp", "copy"),
    R("Je n'ai jamais reçu cette facture, pouvez-vous me la faire parvenir ?", "copy"),
    R(
        "Bonjour, la facture ne nous est pas parvenue. Pouvez-vous l'adresser à compta@client.fr ?",
        "copy",
    ),
    R(
        "Madame,\nAfin de traiter votre relance, merci de nous adresser une copie de la facture "
        "FAC/2026/0042 au format PDF.\nCordialement" + QUOTE_FR,
        "copy",
        None,
        None,
        [42],
    ),
    R("Envoyez-nous la facture en PDF et on la règle dans la foulée.", "copy"),
    R("on a pas recu la facture", "copy"),
    R("Copie de facture svp, notre service comptable ne la trouve pas.", "copy"),
    # ------------------------------------------------------------------ copy requests (English)
    R("Could you send us a copy of the invoice?", "copy"),
    R("We never received invoice INV/2026/00142, please resend it.", "copy", None, None, [142]),
    R("pls send the invoice again", "copy"),
    R("Can you email me a copy of invoice 131?", "copy", None, None, [131]),
    R("We have not received this invoice. Please forward it to ap@customer.com.", "copy"),
    R("Please send us the invoice in PDF so we can process it.", "copy"),
    R(
        "Hello,\nI can't find this bill in our system, could you send a copy of the invoice "
        "to accounts payable?\nThanks" + QUOTE_EN,
        "copy",
    ),
    R("Invoice was never received here. Resend please.", "copy"),
    # ------------------------------------------------------------------ out of office
    R("Je suis absente du bureau jusqu'au 4 janvier.", "out_of_office", headers=AUTO),
    R(
        "Thank you for your email. I am out of the office until Monday.",
        "out_of_office",
        headers=AUTO,
    ),
    R(
        "Bonjour, je suis actuellement absent et serai de retour le 14 décembre. Pour toute "
        "urgence, contactez compta@client.fr.",
        "out_of_office",
    ),
    R("I'm currently on annual leave with limited access to email.", "out_of_office"),
    R("Réponse automatique : je suis en congés du 7 au 18 décembre inclus.", "out_of_office"),
    R("Automatic reply: I will be back on Monday.", "out_of_office"),
    R(
        "Merci pour votre message. Nous réglerons toutes les factures à mon retour.",
        "out_of_office",
        headers={"Auto-Submitted": "auto-generated"},
    ),
    R("We will pay on the 15th.", "out_of_office", headers={"X-Autoreply": "yes"}),
    R("Hello, I am away until 4 January.", "out_of_office", headers={"Precedence": "auto_reply"}),
    R("Absent, de retour le 11/12.", "out_of_office", subject="Absent du bureau"),
    R(
        "Thanks for your message. I'm on parental leave. Please contact accounts@customer.com.",
        "out_of_office",
    ),
    R(
        "Nous sommes actuellement en congés annuels, le bureau rouvre le 4 janvier.",
        "out_of_office",
    ),
    R("Out of office: back on the 14th.", "out_of_office", subject="Out of Office"),
    R("Je suis en déplacement avec un accès limité à mes e-mails.", "out_of_office"),
    # ------------------------------------------------------------------ insolvency
    R(
        "Madame, Monsieur,\nNous vous informons que la société a été placée en redressement "
        "judiciaire par jugement du 1er décembre 2026. Nous vous invitons à déclarer votre "
        "créance auprès du mandataire judiciaire.",
        "insolvency",
    ),
    R("La société est en liquidation judiciaire depuis le 28/11/2026.", "insolvency"),
    R(
        "Procédure de sauvegarde ouverte le 2 décembre : les paiements sont suspendus.",
        "insolvency",
    ),
    R(
        "Merci d'adresser votre déclaration de créance à Maître Dupont, administrateur judiciaire.",
        "insolvency",
    ),
    R("The company went into administration on 1 December 2026.", "insolvency"),
    R("Joint administrators have been appointed. Please submit your proof of debt.", "insolvency"),
    R("We have filed for bankruptcy protection.", "insolvency"),
    R("Notice: our company has entered into receivership.", "insolvency"),
    R("nous sommes en cessation des paiements, voir avec le mandataire", "insolvency"),
    R("The company entered liquidation; all claims go to the liquidator.", "insolvency"),
    # ------------------------------------------------------------------ other
    R("Bonjour, pouvez-vous me rappeler au 06 12 34 56 78 ?", "other"),
    R("Merci pour votre message, je transmets à la comptabilité.", "other"),
    R("Thanks, forwarded to our accounts payable team.", "other"),
    R("Who is this?", "other"),
    R("Bonjour, quel est votre RIB ?", "other"),
    R("Can you give me your bank details?", "other"),
    R("Merci de mettre à jour notre adresse de facturation.", "other"),
    R("ok", "other"),
    R("Please call me back regarding our account.", "other"),
    R("Notre nouvelle adresse email pour les factures est factures@client.fr.", "other"),
    R("Bonjour, nous avons changé de comptable, voir avec M. Durand.", "other"),
    R("Received, thank you.", "other"),
    R("Is it possible to pay by credit card?", "other"),
    R("Bonjour, est-il possible d'avoir un échéancier ?", "other"),
    R("We need the purchase order number on the invoice.", "other"),
]
