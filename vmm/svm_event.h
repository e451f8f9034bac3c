/* SPDX-License-Identifier: MIT */
/*
 * What became of the events an SVM entry offered the guest: the V_IRQ the
 * generic code raised (AMD APM Vol. 2 §15.21.4) and an event whose delivery
 * an exit cut short, which EXITINTINFO holds (§15.7.2). Pure, host-tested
 * (tests/unit/test_svm_event.c).
 */
#ifndef VMM_SVM_EVENT_H
#define VMM_SVM_EVENT_H

#include "lib/types.h"

struct svm_event_outcome {
	bool irq_taken;	/* the guest took vec: it is in service now */
	u64 reinject;	/* EVENTINJ for the next entry, 0 for none */
};

/*
 * vec: the V_IRQ vector raised at entry (0: none); v_intr and
 * exitintinfo: the VMCB's fields after the exit.
 */
struct svm_event_outcome svm_event_after_exit(u8 vec, u64 v_intr,
					      u64 exitintinfo);

#endif
