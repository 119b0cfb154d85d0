/** @odoo-module **/

import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The first-run checklist of the collector's desk: the steps of Odoo's onboarding record
 * `credit_management.onboarding_onboarding_credit`, read from the desk's `onboarding_steps`.
 * A step opens its screen (the desk's `action_open_onboarding_step`); the desk is read again
 * when that screen closes, so that a step done there shows ticked.
 */
export class CreditOnboarding extends Component {
    static template = "credit_management.CreditOnboarding";
    static props = { ...standardWidgetProps };

    setup() {
        this.action = useService("action");
        this.orm = useService("orm");
    }

    get steps() {
        return this.props.record.data.onboarding_steps || [];
    }

    get doneCount() {
        return this.steps.filter((step) => step.done).length;
    }

    async openStep(step) {
        const record = this.props.record;
        const action = await this.orm.call(record.resModel, "action_open_onboarding_step", [
            [record.resId],
            step.id,
        ]);
        await this.action.doAction(action, { onClose: () => record.load() });
    }

    async hide() {
        const record = this.props.record;
        await this.orm.call(record.resModel, "action_close_onboarding", [[record.resId]]);
        await record.load();
    }
}

registry.category("view_widgets").add("credit_onboarding", { component: CreditOnboarding });
