/** @odoo-module */

import { registry } from "@web/core/registry";

const { DateTime } = luxon;

/** "1 234,56 €" → 1234.56 */
function frenchAmount(text) {
    return parseFloat(text.replace(/[^\d,-]/g, "").replace(",", "."));
}

/** The cell of ``row`` under the column of field ``name`` (group rows span several columns with one cell). */
function cellUnder(row, name) {
    const headers = [...document.querySelectorAll(".o_list_table thead tr:first-child th")];
    const index = headers.findIndex((th) => th.dataset.name === name);
    if (index < 0) {
        throw new Error(`No column ${name}`);
    }
    let column = 0;
    for (const cell of row.children) {
        column += cell.colSpan || 1;
        if (index < column) {
            return cell;
        }
    }
    throw new Error(`No cell under ${name}`);
}

// The accountant prints the letters waiting in the queue, then records a registered letter's posting.
registry.category("web_tour.tours").add("l10n_fr_dunning_accountant_tour", {
    steps: () => {
        const postedOn = DateTime.now().minus({ days: 1 }).toFormat("dd/MM/yyyy");
        return [
            {
                content: "The print queue, in French, lists the three letters",
                trigger: ".o_breadcrumb:contains('Lettres à imprimer')",
            },
            {
                trigger: ".o_list_table:has(.o_data_row:contains('Lettre Alpha SAS')):has(.o_data_row:contains('Lettre Beta SARL')):has(.o_data_row:contains('Recommandé Gamma SA'))",
            },
            {
                content: "Select every letter",
                trigger: "thead .o_list_record_selector input",
                run: "click",
            },
            {
                content: "Open the actions",
                trigger: ".o_cp_action_menus button:has(.fa-cog)",
                run: "click",
            },
            {
                content: "Print the letters",
                trigger: ".o-dropdown--menu .o-dropdown-item:contains('Imprimer les lettres')",
                run: "click",
            },
            {
                content: "The wizard counts the letters in French, singular and plural",
                trigger: ".modal:contains('lettres seront imprimées'):contains('Une lettre recommandée : elle reste à envoyer')",
            },
            {
                content: "Print",
                trigger: ".modal footer button[name='action_print']",
                run: "click",
            },
            {
                content: "The wizard closed and the list reloaded: the plain letters were sent and left the queue",
                trigger: "body:not(:has(.modal)) .o_list_table:has(.o_data_row:contains('Recommandé Gamma SA')):not(:has(.o_data_row:contains('Lettre Alpha SAS')))",
            },
            {
                content: "Open the mise en demeure",
                trigger: ".o_data_row td:contains('Recommandé Gamma SA')",
                run: "click",
            },
            {
                content: "Open the registered letter tab",
                trigger: "a.nav-link[name='registered_letter']:contains('Lettre recommandée')",
                run: "click",
            },
            {
                content: "Type the number from La Poste's proof",
                trigger: "div[name='lrar_tracking_number'] input",
                run: "edit 1A12345678901",
            },
            {
                content: "Type the posting date",
                trigger: "div[name='lrar_date_posted'] input",
                run: `edit ${postedOn} && press Enter`,
            },
            {
                content: "Record the posting",
                trigger: "button[name='action_record_lrar']:contains('Enregistrer le dépôt')",
                run: "click",
            },
            {
                content: "The registered letter is sent, in one step",
                trigger: ".o_statusbar_status .o_arrow_button_current:contains('Envoyée')",
            },
            {
                trigger: "div[name='lrar_tracking_number']:contains('1A12345678901')",
            },
        ];
    },
});

// The manager narrows the invoices in dunning to the overdue ones of one level and one ageing bucket, reads the
// group totals, the pivot by ageing, then a customer's Dunning tab.
registry.category("web_tour.tours").add("l10n_fr_dunning_manager_tour", {
    steps: () => [
        {
            content: "The invoices in dunning, in French",
            trigger: ".o_breadcrumb:contains('Factures en relance')",
        },
        {
            trigger: ".o_data_row:contains('Delta SA')",
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Overdue invoices only",
            trigger: ".o_filter_menu .o_menu_item:contains('En retard')",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains('En retard')",
        },
        {
            content: "31 to 60 days late",
            trigger: ".o_filter_menu .o_menu_item:contains('31 à 60 jours de retard')",
            run: "click",
        },
        {
            content: "The not yet due invoice and the one 75 days late are gone",
            trigger: ".o_searchview_facet:contains('31 à 60 jours de retard')",
        },
        {
            trigger: ".o_list_table:has(.o_data_row:contains('Alpha SAS')):not(:has(.o_data_row:contains('Gamma SA'))):not(:has(.o_data_row:contains('Epsilon SAS')))",
        },
        {
            content: "Group by level",
            trigger: ".o_group_by_menu .o_menu_item:contains('Niveau')",
            run: "click",
        },
        {
            content: "One group per level: the 2e relance of Delta apart",
            trigger: ".o_group_header:contains('2e relance (1)')",
        },
        {
            content: "Open the 1re relance group",
            trigger: ".o_group_header:contains('1re relance (2)')",
            run: "click",
        },
        {
            content: "The group header totals the penalties and the total claimable of its invoices",
            trigger: ".o_group_header.o_group_open:contains('1re relance (2)') ~ .o_data_row:contains('Beta SARL')",
            run() {
                const header = [...document.querySelectorAll(".o_group_header")].find(
                    (row) => row.textContent.includes("1re relance (2)")
                );
                const rows = [...document.querySelectorAll(".o_data_row")].filter((row) =>
                    ["Alpha SAS", "Beta SARL"].some((name) => row.textContent.includes(name))
                );
                if (rows.length !== 2) {
                    throw new Error(`Expected the 2 invoices of the group, found ${rows.length}`);
                }
                for (const name of ["dunning_penalty_amount", "dunning_total_claimable"]) {
                    const total = frenchAmount(cellUnder(header, name).textContent);
                    const sum = rows.reduce((acc, row) => acc + frenchAmount(cellUnder(row, name).textContent), 0);
                    if (!(total > 0) || Math.abs(total - sum) > 0.005) {
                        throw new Error(`${name}: group header ${total} is not the sum of its rows ${sum}`);
                    }
                }
            },
        },
        {
            content: "The pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot shows the ageing bucket and the total claimable",
            trigger: ".o_pivot:contains('31 à 60 jours de retard'):contains('Total exigible')",
        },
        {
            content: "Back to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open Alpha's invoice",
            trigger: ".o_data_row td:contains('Alpha SAS')",
            run: "click",
        },
        {
            content: "Open the customer",
            trigger: "div[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "The customer's form is open",
            trigger: ".o_breadcrumb .active:contains('Alpha SAS')",
        },
        {
            content: "Open the customer's Dunning tab",
            trigger: ".o_form_view a.nav-link[name='dunning']",
            run: "click",
        },
        {
            content: "It shows the balance, the overdue amount, the level and the reminders",
            trigger: ".o_notebook div[name='dunning_level_id']:contains('1re relance')",
        },
        ...["dunning_open_balance", "dunning_overdue_amount", "dunning_last_reminder_date", "dunning_next_reminder_date"].map(
            (name) => ({
                content: `The Dunning tab shows ${name}`,
                trigger: `.o_notebook .tab-pane.active [name='${name}']`,
            })
        ),
        {
            content: "One promise to pay, in the singular",
            trigger: ".o_notebook button[name='action_open_dunning_promises']:contains('promesse de paiement'):not(:contains('promesses'))",
        },
    ],
});
