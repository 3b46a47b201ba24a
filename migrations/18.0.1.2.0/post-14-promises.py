def migrate(cr, version):
    """Promises to pay recorded before the promise history: one history row each, made on the day its date was last
    tracked, owing what the invoice owes now plus what was reconciled on it since that day."""
    cr.execute("""
        WITH promised AS (
            SELECT move.id AS move_id, move.company_id, move.commercial_partner_id, move.dunning_promise_date,
                   COALESCE(move.dunning_promise_amount, ABS(move.amount_residual_signed)) AS amount,
                   ABS(move.amount_residual_signed) AS amount_residual,
                   LEAST(COALESCE(tracked.day, move.write_date::date), move.dunning_promise_date) AS date_made
              FROM account_move move
              LEFT JOIN LATERAL (
                    SELECT MAX(message.date)::date AS day
                      FROM mail_message message
                      JOIN mail_tracking_value tracking ON tracking.mail_message_id = message.id
                      JOIN ir_model_fields field ON field.id = tracking.field_id
                     WHERE message.model = 'account.move' AND message.res_id = move.id
                       AND field.model = 'account.move' AND field.name = 'dunning_promise_date'
                   ) tracked ON TRUE
             WHERE move.dunning_promise_date IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM l10n_fr_dunning_promise promise WHERE promise.move_id = move.id)
        )
        INSERT INTO l10n_fr_dunning_promise (move_id, company_id, partner_id, date_made, date, amount, amount_due,
                                             source, create_uid, create_date, write_uid, write_date)
        SELECT promised.move_id, promised.company_id, promised.commercial_partner_id, promised.date_made,
               promised.dunning_promise_date, promised.amount,
               promised.amount_residual + COALESCE(paid.amount, 0),
               CASE WHEN EXISTS (
                        SELECT 1
                          FROM l10n_fr_dunning_portal_answer answer
                          JOIN l10n_fr_dunning_reminder_line line ON line.reminder_id = answer.reminder_id
                         WHERE answer.kind = 'promise' AND line.move_id = promised.move_id
                           AND answer.create_date::date = promised.date_made)
                    THEN 'portal' ELSE 'user' END,
               1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
          FROM promised
          LEFT JOIN LATERAL (
                SELECT SUM(partial.amount) AS amount
                  FROM account_move_line line
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
                 WHERE line.move_id = promised.move_id AND partial.max_date >= promised.date_made
               ) paid ON TRUE
    """)
