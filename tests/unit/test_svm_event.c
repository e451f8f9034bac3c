// SPDX-License-Identifier: MIT
/*
 * Host tests for vmm/svm_event.c against the VMCB's rules (AMD APM Vol. 2
 * §15.21.4: the CPU clears V_IRQ when it takes the virtual interrupt;
 * §15.7.2: an event whose delivery an exit interrupted is in EXITINTINFO,
 * in EVENTINJ's format). QEMU's nested SVM never cuts a delivery short, so
 * these cases are shown here, on the values real hardware leaves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vmm/svm_event.h"
#include "vmm/svm_regs.h"

#define VEC 0x41
#define V_INTR_RAISED (SVM_V_IRQ | ((u64)VEC << SVM_V_INTR_VECTOR_SHIFT))
#define V_INTR_CLEARED ((u64)VEC << SVM_V_INTR_VECTOR_SHIFT)

static u64 intr(u8 vec)
{
	return SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | vec;
}

/* V_IRQ cleared, nothing in EXITINTINFO: the guest took it. */
static void test_taken(void **state)
{
	struct svm_event_outcome o = svm_event_after_exit(VEC, V_INTR_CLEARED, 0);

	assert_true(o.irq_taken);
	assert_int_equal(o.reinject, 0);
}

/* V_IRQ still set (IF was clear, or the exit came first): not taken. */
static void test_still_pending(void **state)
{
	struct svm_event_outcome o = svm_event_after_exit(VEC, V_INTR_RAISED, 0);

	assert_false(o.irq_taken);
	assert_int_equal(o.reinject, 0);
}

/*
 * V_IRQ cleared but its delivery cut short (a nested page fault on the
 * guest's stack while pushing the frame): not taken, and not injected
 * through EVENTINJ either, since V_IRQ is raised for it again.
 */
static void test_cut_short(void **state)
{
	struct svm_event_outcome o =
		svm_event_after_exit(VEC, V_INTR_CLEARED, intr(VEC));

	assert_false(o.irq_taken);
	assert_int_equal(o.reinject, 0);
}

/* An exception cut short after the interrupt was taken: injected again. */
static void test_exception_reinjected(void **state)
{
	u64 pf = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXCEPTION | SVM_EVTINJ_EV |
		 14 | (2ull << 32);
	struct svm_event_outcome o = svm_event_after_exit(VEC, V_INTR_CLEARED, pf);

	assert_true(o.irq_taken);
	assert_int_equal(o.reinject, pf);
}

/* An NMI or an interrupt that is not this entry's V_IRQ is not lost. */
static void test_other_events_reinjected(void **state)
{
	u64 nmi = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | 2;

	assert_int_equal(svm_event_after_exit(0, 0, nmi).reinject, nmi);
	assert_int_equal(svm_event_after_exit(0, 0, intr(0x30)).reinject,
			 intr(0x30));
	assert_int_equal(svm_event_after_exit(VEC, V_INTR_CLEARED, intr(0x30))
				 .reinject, intr(0x30));
}

/* No vector raised: nothing was taken, whatever V_IRQ reads. */
static void test_nothing_raised(void **state)
{
	assert_false(svm_event_after_exit(0, 0, 0).irq_taken);
	assert_int_equal(svm_event_after_exit(0, 0, intr(VEC) & ~SVM_EVTINJ_VALID)
				 .reinject, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_taken),
		cmocka_unit_test(test_still_pending),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_exception_reinjected),
		cmocka_unit_test(test_other_events_reinjected),
		cmocka_unit_test(test_nothing_raised),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
