/* ccwboot entry points and the few routines that must be assembly:
 *  - esa_entry: Hercules `ipl ccwboot.ins` starts here in ESA/390 mode,
 *  - _start: 64-bit entry (QEMU's -bios entry, and esa_entry's target),
 *    self-relocation, BSS clearing, stack,
 *  - the enabled wait for an external interruption (SCLP service signal),
 *  - a program-check catcher for instructions that must be tried (CHSC,
 *    diag 308: ccwboot_try),
 *  - the handoff trampoline.
 * Lowcore offsets, PSW masks, wait codes and the relocation format come from
 * the C++ headers through asm_offsets.h (generated, see asm_offsets.cc).
 */

#include "asm_offsets.h"

#define STACK_SIZE 16384

/* ---------------------------------------------------------------------------
 * ESA/390 entry (Hercules). The CPU is in ESA/390 mode, 31-bit, after loading
 * the PSW at 0 that points here. Switch to z/Architecture with SIGP set
 * architecture (order 0x12, parameter 1 in the odd register), then LPSWE a
 * 64-bit PSW to _start. Position independent: the image may sit anywhere
 * below 2 GiB. */
	.section .text.start,"ax"
	.globl esa_entry
esa_entry:
	basr	%r13,0
.Lesa_base:
	lhi	%r1,1			/* parameter: 1 = z/Architecture */
	lhi	%r0,0			/* CPU address (ignored for this order) */
	sigp	%r1,%r0,0x12
	jnz	.Lesa_no_zarch
	/* now in z/Architecture mode, still 31-bit addressing */
	la	%r2,_start-.Lesa_base(%r13)
	st	%r2,.Lesa_psw+PSW_ADDRESS+4-.Lesa_base(%r13)	/* low word */
	lpswe	.Lesa_psw-.Lesa_base(%r13)
.Lesa_no_zarch:
	/* Still ESA/390 (e.g. Hercules ARCHMODE ESA/390): stop with an ESA/390
	 * disabled wait carrying kNoZArchitecture. */
	lpsw	.Lesa_wait-.Lesa_base(%r13)
	.balign	8
.Lesa_wait:
	.quad	ESA_PSW_WAIT_NO_ZARCH	/* ESA/390 format: 8 bytes */
.Lesa_psw:
	.quad	PSW_MASK_64BIT		/* 64-bit, DAT off, all interruptions off */
	.quad	0			/* address filled in above */

/* ---------------------------------------------------------------------------
 * 64-bit entry (same section as esa_entry: the stub reaches it by offset). */
	.globl _start
_start:
	/* Self-relocation. If the loader applied the R_390_RELATIVE entries
	 * (QEMU), .Lself holds its own run-time address; if the image was
	 * loaded raw (Hercules .ins), it holds the link-time offset. */
	larl	%r6,__image_start	/* run-time base */
	lghi	%r12,0			/* 1 = relocated here, 0 = by the loader */
	larl	%r2,.Lself
	lg	%r3,0(%r2)
	cgr	%r2,%r3
	je	.Lrelocated
	lghi	%r12,1
	larl	%r7,__rela_start
	larl	%r8,__rela_end
.Lreloc_loop:
	clgr	%r7,%r8
	jhe	.Lrelocated
	llgf	%r9,RELA_TYPE(%r7)	/* ELF64_R_TYPE(r_info) */
	chi	%r9,R_390_RELATIVE
	jne	.Lreloc_bad
	lg	%r10,RELA_OFFSET(%r7)	/* r_offset */
	lg	%r11,RELA_ADDEND(%r7)	/* r_addend */
	agr	%r11,%r6
	stg	%r11,0(%r10,%r6)
	aghi	%r7,RELA_SIZE
	j	.Lreloc_loop
.Lreloc_bad:
	/* The build rejects other relocation types; stop with kRelocationFailed. */
	larl	%r1,.Lreloc_wait
	lpswe	0(%r1)
.Lrelocated:
	/* Clear BSS (the stack lives there, so before using it). */
	larl	%r2,__bss_start
	larl	%r3,__bss_end
	sgr	%r3,%r2
	lghi	%r4,0
	lghi	%r5,0
.Lclear:
	mvcl	%r2,%r4
	jo	.Lclear
	larl	%r1,ccwboot_self_relocated
	stc	%r12,0(%r1)
	larl	%r15,ccwboot_stack+STACK_SIZE
	aghi	%r15,-160
	lghi	%r0,0
	stg	%r0,0(%r15)		/* back chain end */
	brasl	%r14,ccwboot_main
	/* ccwboot_main does not return; if it ever did: */
	larl	%r1,.Lreloc_wait+PSW_SIZE
	lpswe	0(%r1)

	.section .rodata.start,"a"
	.balign	8
.Lreloc_wait:
	.quad	PSW_MASK_DISABLED_WAIT, WAIT_RELOCATION_FAILED
	.quad	PSW_MASK_DISABLED_WAIT, WAIT_INTERNAL

	.section .data.self,"aw"
	.balign	8
.Lself:
	.quad	.Lself

	.section .bss.stack,"aw",@nobits
	.balign	4096
	.globl ccwboot_stack
ccwboot_stack:
	.skip	STACK_SIZE

/* ---------------------------------------------------------------------------
 * void wait_for_external_interrupt(void)
 * Enabled wait for one external interruption; returns with the interruption
 * code at real 0x86. The caller has set the CR0 subclass mask. The external
 * new PSW is (re)written here so that it is right for the current prefix. */
	.text
	.globl wait_for_external_interrupt
wait_for_external_interrupt:
	larl	%r1,.Lext_resume
	stg	%r1,LC_EXT_NEW_PSW+PSW_ADDRESS
	larl	%r1,.Lpsw_disabled64
	mvc	LC_EXT_NEW_PSW(8),0(%r1)
	larl	%r1,.Lpsw_ext_wait
	lpswe	0(%r1)
.Lext_resume:
	br	%r14

/* ---------------------------------------------------------------------------
 * Program checks. The program new PSW points at program_check_entry, which
 * hands the lowcore's program-old PSW and code to the C++ side (panic). */
	.globl program_check_entry
program_check_entry:
	/* Take a fresh frame on the firmware stack: r15 may be anything. */
	larl	%r15,ccwboot_stack+STACK_SIZE
	aghi	%r15,-160
	brasl	%r14,on_program_check
	j	.

/* [[noreturn]] void handoff_diag308_load_normal(void)
 * The short PSW at absolute 0 already points at handoff_trampoline. */
	.globl handoff_diag308_load_normal
handoff_diag308_load_normal:
	lghi	%r1,1
	diag	%r1,%r1,0x308
	/* only returns if the reset was refused */
	br	%r14

/* Reached in 64-bit mode after diag 308 subcode 1 loaded the short PSW at 0.
 * Put the loaded system's 8 bytes back at 0, re-enable the IPL subchannel
 * (the reset disabled it; handoff_after_reset, on the firmware's stack),
 * clear the registers (the system sees what a real IPL leaves: nothing in
 * the high halves), and load its PSW with LPSW, which takes the ESA/390
 * format: 31-bit addressing, the system's own mask bits. */
	.globl handoff_trampoline
handoff_trampoline:
	larl	%r1,handoff_saved_psw
	mvc	LC_IPL_PSW(8),0(%r1)
	larl	%r15,ccwboot_stack+STACK_SIZE
	aghi	%r15,-160
	brasl	%r14,handoff_after_reset
	lghi	%r0,0
	lghi	%r1,0
	lghi	%r2,0
	lghi	%r3,0
	lghi	%r4,0
	lghi	%r5,0
	lghi	%r6,0
	lghi	%r7,0
	lghi	%r8,0
	lghi	%r9,0
	lghi	%r10,0
	lghi	%r11,0
	lghi	%r12,0
	lghi	%r13,0
	lghi	%r14,0
	lghi	%r15,0
	lpsw	LC_IPL_PSW

/* [[noreturn]] void handoff_esa390_lpsw(void)
 * No diag 308 reset (Hercules): what an initial CPU reset leaves, by hand --
 * control registers at their initial values (CR0 0xE0, CR14 0xC2000000, the
 * rest 0), CPU timer, clock comparator and TOD programmable field 0 -- then
 * back to ESA/390 (SIGP set architecture, parameter 0) and load the PSW at 0,
 * as the end of a native IPL does. Prefix is 0 already. */
	.globl handoff_esa390_lpsw
handoff_esa390_lpsw:
	larl	%r1,.Linitial_crs
	lctlg	%c0,%c15,0(%r1)
	larl	%r1,.Lzero_dword
	spt	0(%r1)
	sckc	0(%r1)
	lghi	%r0,0
	sckpf
	lghi	%r1,0
	lghi	%r0,0
	sigp	%r1,%r0,0x12
	/* ESA/390 mode from here on: only ESA/390 instructions. */
	lhi	%r0,0
	lhi	%r1,0
	lhi	%r2,0
	lhi	%r3,0
	lhi	%r4,0
	lhi	%r5,0
	lhi	%r6,0
	lhi	%r7,0
	lhi	%r8,0
	lhi	%r9,0
	lhi	%r10,0
	lhi	%r11,0
	lhi	%r12,0
	lhi	%r13,0
	lhi	%r14,0
	lhi	%r15,0
	lpsw	LC_IPL_PSW

	.section .rodata.psws,"a"
	.balign	8
.Linitial_crs:	/* PoP "initial CPU reset"; Hercules ipl.c initial_cpu_reset */
	.quad	0x00000000000000e0, 0, 0, 0, 0, 0, 0, 0
	.quad	0, 0, 0, 0, 0, 0, 0x00000000c2000000, 0
.Lzero_dword:
	.quad	0
.Lpsw_disabled64:
	.quad	PSW_MASK_64BIT
.Lpsw_ext_wait:
	.quad	PSW_MASK_EXTERNAL_WAIT	/* external interruptions on, wait */
	.quad	0

	.section .bss.psws,"aw",@nobits
	.globl ccwboot_self_relocated
ccwboot_self_relocated:
	.skip	1
	.balign	8
	.globl handoff_saved_psw
handoff_saved_psw:
	.skip	8

/* ---------------------------------------------------------------------------
 * long ccwboot_try(long (*fn)(void*), void* arg)
 * Calls fn(arg) with a program-check catcher installed: if fn program-checks
 * (an instruction the emulator does not implement, e.g. CHSC or diag 308 on
 * Hercules), returns -1 instead of stopping. Not reentrant. */
	.text
	.globl ccwboot_try
ccwboot_try:
	stmg	%r6,%r15,48(%r15)
	lgr	%r1,%r2
	lgr	%r2,%r3
	larl	%r6,.Ltry_save
	mvc	0(PSW_SIZE,%r6),LC_PGM_NEW_PSW
	stg	%r15,PSW_SIZE(%r6)
	larl	%r7,.Ltry_caught
	stg	%r7,LC_PGM_NEW_PSW+PSW_ADDRESS
	larl	%r7,.Lpsw_disabled64
	mvc	LC_PGM_NEW_PSW(8),0(%r7)
	aghi	%r15,-160
	basr	%r14,%r1
	j	.Ltry_restore
.Ltry_caught:
	lghi	%r2,-1
.Ltry_restore:
	larl	%r6,.Ltry_save
	lg	%r15,PSW_SIZE(%r6)
	mvc	LC_PGM_NEW_PSW(PSW_SIZE),0(%r6)
	lmg	%r6,%r15,48(%r15)
	br	%r14

	.section .bss.try,"aw",@nobits
	.balign	8
.Ltry_save:
	.skip	PSW_SIZE+8		/* the program new PSW, r15 */

	.section .note.GNU-stack,"",@progbits
