# What became of an SVM entry's events (vmm/svm_event.c): V_IRQ taken,
# still pending, or cut short in EXITINTINFO; which event is injected again.
UNIT_TESTS += svm_event
svm_event_SRCS := tests/unit/test_svm_event.c vmm/svm_event.c
