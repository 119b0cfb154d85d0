/** @odoo-module **/

import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/**
 * The aged balance list with two buttons in its control panel: "Export XLSX" and
 * "Print PDF" of the aged balance as shown (the list's domain, group-by and context, with
 * its `credit_as_of` and `credit_aging_basis` when set).
 */
export class CreditAgedBalanceListController extends ListController {
    get exportParams() {
        const context = this.props.context || {};
        return {
            domain: this.model.root.domain,
            groupby: this.model.root.groupBy,
            // Not "context": the report route reads that key as its own JSON string.
            export_context: {
                credit_as_of: context.credit_as_of,
                credit_aging_basis: context.credit_aging_basis,
                allowed_company_ids: context.allowed_company_ids,
                lang: context.lang,
                tz: context.tz,
            },
        };
    }

    async onExportXlsx() {
        await download({
            url: "/credit_management/aged_balance/xlsx",
            data: { data: JSON.stringify(this.exportParams) },
        });
    }

    async onPrintPdf() {
        const params = this.exportParams;
        await this.actionService.doAction({
            type: "ir.actions.report",
            report_type: "qweb-pdf",
            report_name: "credit_management.report_credit_aged_balance",
            report_file: "credit_management.report_credit_aged_balance",
            data: params,
            context: params.export_context,
        });
    }
}

export const creditAgedBalanceListView = {
    ...listView,
    Controller: CreditAgedBalanceListController,
    buttonTemplate: "credit_management.AgedBalanceListView.Buttons",
};

registry.category("views").add("credit_aged_balance_list", creditAgedBalanceListView);
