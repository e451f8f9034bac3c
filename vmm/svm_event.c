// SPDX-License-Identifier: MIT
/*
 * The rules of vmm/svm_event.h.
 *
 * The CPU clears V_IRQ when it starts delivering the virtual interrupt.
 * If an exit cuts that delivery short (a nested page fault on the IDT or
 * the guest's stack, a host interrupt), EXITINTINFO holds it as a valid
 * event of type INTR with its vector: the guest did not take it. Counting
 * it as taken would put it in service in the vLAPIC with nobody to EOI it,
 * and lose it. So it stays pending, and the generic code raises V_IRQ for
 * it again at the next entry. Any other event in EXITINTINFO (an exception,
 * an NMI, or an INTR that is not our V_IRQ) is injected again as it is.
 */
#include "vmm/svm_event.h"
#include "vmm/svm_regs.h"

static bool is_our_irq(u8 vec, u64 intinfo)
{
	return vec && (intinfo & SVM_EVTINJ_VALID) &&
	       (intinfo & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_INTR &&
	       (intinfo & SVM_EVTINJ_VECTOR_MASK) == vec;
}

struct svm_event_outcome svm_event_after_exit(u8 vec, u64 v_intr,
					      u64 exitintinfo)
{
	struct svm_event_outcome o = { false, 0 };

	if (is_our_irq(vec, exitintinfo))
		return o;	/* cut short: still pending, raised again */
	o.irq_taken = vec && !(v_intr & SVM_V_IRQ);
	if (exitintinfo & SVM_EVTINJ_VALID)
		o.reinject = exitintinfo;
	return o;
}
