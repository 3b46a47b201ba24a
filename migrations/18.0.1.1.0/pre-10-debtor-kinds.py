"""18.0.1.1.0: the debtor kind 'professional' splits into commercial and other professionals; new stored dates.

Before, every professional went to the tribunal de commerce: carry them over as commercial professionals, the
kind that keeps that behaviour. Civil companies, associations and public buyers are then set by the user.

The new stored dates are filled here in SQL, so that the upgrade does not recompute them invoice by invoice:
the oldest unpaid due date of each invoice, the receipt of each registered letter and, on invoices, the receipt
of their mise en demeure.
"""


def migrate(cr, version):
    cr.execute("UPDATE res_partner SET dunning_debtor_kind = 'commercial' WHERE dunning_debtor_kind = 'professional'")
    cr.execute("""
        ALTER TABLE account_move ADD COLUMN IF NOT EXISTS dunning_date_due date;
        UPDATE account_move move
           SET dunning_date_due = COALESCE(
                   (SELECT min(line.date_maturity) FROM account_move_line line
                     WHERE line.move_id = move.id AND line.display_type = 'payment_term'
                       AND line.amount_residual > 0),
                   move.invoice_date_due);

        ALTER TABLE l10n_fr_dunning_reminder ADD COLUMN IF NOT EXISTS received_date date;
        UPDATE l10n_fr_dunning_reminder
           SET received_date = CASE WHEN lrar_returned THEN lrar_date_first_presented ELSE lrar_date_acknowledged END;

        ALTER TABLE account_move ADD COLUMN IF NOT EXISTS dunning_formal_notice_received_date date;
        UPDATE account_move move
           SET dunning_formal_notice_received_date = notice.received_date
          FROM (SELECT line.move_id, min(reminder.received_date) AS received_date
                  FROM l10n_fr_dunning_reminder_line line
                  JOIN l10n_fr_dunning_reminder reminder ON reminder.id = line.reminder_id
                  JOIN l10n_fr_dunning_level level ON level.id = reminder.level_id
                 WHERE reminder.state = 'sent' AND level.is_formal_notice AND reminder.received_date IS NOT NULL
              GROUP BY line.move_id) AS notice
         WHERE move.id = notice.move_id;
    """)
