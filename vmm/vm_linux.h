/* SPDX-License-Identifier: MIT */
/*
 * Setting a Linux guest up (vmm/vm_linux.c): check and place the bzImage
 * and initrd before guest memory is allocated, write them once it is.
 */
#ifndef VMM_VM_LINUX_H
#define VMM_VM_LINUX_H

#include "boot/bootinfo.h"
#include "vmm/linux_boot.h"

struct vm;

struct vm_linux {
	const struct hv_image *kernel;
	const struct hv_image *initrd;	/* NULL: none */
	struct linux_bzimage bz;
	struct linux_layout lay;
	char cmdline[512];
};

/*
 * Files loaded, a usable bzImage, and a layout that fits the guest's
 * configured memory; 0, or -1 with the reason logged.
 */
int vm_linux_prepare(struct vm *vm, const struct hv_image *kernel,
		     const struct hv_image *initrd, struct vm_linux *lx);

/* Writes it all into vm->mem and sets vm->linux_entry; 0 or -1 (logged). */
int vm_linux_load(struct vm *vm, const struct vm_linux *lx);

#endif
