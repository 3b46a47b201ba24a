/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

/** Open the Invoicing app from the apps menu. */
function openInvoicing() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Invoicing",
            trigger: ".o_app[data-menu-xmlid='account.menu_finance']",
            run: "click",
        },
    ];
}

/** Open the menu ``xmlid`` of the Invoicing app's section ``section`` (a dropdown of the top bar). */
function openMenu(section, xmlid, content) {
    return [
        {
            content: `Open the ${section} menu`,
            trigger: `.o_menu_sections button[data-menu-xmlid='${section}']`,
            run: "click",
        },
        {
            content,
            trigger: `.dropdown-item[data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
}

// A dunning manager reads the Key accounts ladder in Invoicing > Configuration > Dunning > Dunning policies, then
// gives a customer that policy from its Dunning tab.
registry.category("web_tour.tours").add("l10n_fr_dunning_policy_tour", {
    steps: () => [
        ...openInvoicing(),
        {
            content: "Configuration has a Dunning group",
            trigger: ".o_menu_sections button[data-menu-xmlid='account.menu_finance_configuration']",
            run: "click",
        },
        {
            trigger: ".dropdown-menu_group:contains('Dunning')",
        },
        {
            content: "Dunning policies",
            trigger: ".dropdown-item[data-menu-xmlid='l10n_fr_dunning.menu_policy']:contains('Dunning policies')",
            run: "click",
        },
        {
            content: "Open Key accounts",
            trigger: ".o_data_row td[name='name']:contains('Key accounts')",
            run: "click",
        },
        {
            content: "Its form",
            trigger: ".o_breadcrumb:contains('Key accounts')",
        },
        {
            content: "A fortnight more than the professional ladder: the 1re relance at D+16",
            trigger: "div[name='level_ids'] .o_data_row:has(td[name='name']:contains('1re relance')):has(td[name='delay_days']:contains('16'))",
        },
        {
            content: "The contentieux at D+75",
            trigger: "div[name='level_ids'] .o_data_row:has(td[name='name']:contains('Contentieux')):has(td[name='delay_days']:contains('75'))",
        },
        ...openMenu("account.menu_finance_receivables", "account.menu_account_customer", "The customers"),
        {
            content: "Find the customer",
            trigger: ".o_searchview_input",
            run: "edit Boulangerie Martin && press Enter",
        },
        {
            content: "Open it",
            trigger: ".o_kanban_record:contains('Boulangerie Martin SARL')",
            run: "click",
        },
        {
            content: "Its Dunning tab",
            trigger: "a.nav-link[name='dunning']",
            run: "click",
        },
        {
            content: "It follows the default policy",
            trigger: "div[name='dunning_effective_policy_id']:contains('Professionals')",
        },
        {
            content: "Choose Key accounts",
            trigger: "div[name='dunning_policy_id'] input",
            run: "edit Key accounts",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Key accounts')",
            run: "click",
        },
        {
            content: "Its own policy replaces the default one",
            trigger: ".o_form_dirty:not(:has(div[name='dunning_effective_policy_id']))",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved:has(div[name='dunning_policy_id'] input:value('Key accounts'))",
        },
    ],
});

// A dunning user opens the dashboard in Invoicing > Customers > Dunning dashboard: what the reminders recovered as
// a graph, then as a pivot by level and channel; then prints the summary of the month.
registry.category("web_tour.tours").add("l10n_fr_dunning_dashboard_tour", {
    steps: () => [
        ...openInvoicing(),
        {
            content: "The Customers menu has the dashboard",
            trigger: ".o_menu_sections button[data-menu-xmlid='account.menu_finance_receivables']",
            run: "click",
        },
        {
            trigger: ".dropdown-menu_group:contains('Dunning dashboard')",
        },
        {
            content: "Recovered by dunning",
            trigger: ".dropdown-item[data-menu-xmlid='l10n_fr_dunning.menu_recovery_report']",
            run: "click",
        },
        {
            content: "A graph of this month's reminders, not sample data",
            trigger: ".o_graph_view:not(.o_view_sample_data) .o_graph_renderer canvas",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Claimed 1,200.00 by the 1re relance's email, 480.00 collected",
            trigger: ".o_pivot:contains('1re relance'):contains('Email'):contains('1,200.00'):contains('480.00')",
        },
        ...openMenu(
            "account.menu_finance_receivables",
            "l10n_fr_dunning.menu_recovery_summary",
            "The printable summary"
        ),
        {
            content: "The summary's period starts on the first of the month",
            trigger: ".modal div[name='date_from'] input",
            run: `edit ${DateTime.now().startOf("month").toFormat("MM/dd/yyyy")} && press Enter`,
        },
        {
            content: "Print",
            trigger: ".modal footer button[name='action_print']",
            run: "click",
        },
        {
            content: "The summary downloaded, the wizard closed, the pivot is back",
            trigger: "body:not(:has(.modal)) .o_pivot:contains('1re relance')",
        },
    ],
});
