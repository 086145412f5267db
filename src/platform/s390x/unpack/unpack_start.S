/* Entry of the packed ccwboot.img (QEMU -bios): unpack the image to our own
 * load address and start it there.
 *  1. Copy the stub with its payload to load address + `high` (the
 *     descriptor's; page aligned, above every byte the unpacking writes).
 *  2. Continue in the copy, with a stack behind it.
 *  3. unpack_main: unpack, check, apply the image's R_390_RELATIVE entries
 *     (as QEMU's loader does for an unpacked image), return its entry.
 *  4. Serialize (the image's code was just stored) and branch to the entry
 *     in 64-bit mode, as QEMU would have. Registers carry nothing: _start
 *     takes none. The lowcore is not touched.
 * Any failure: disabled wait kUnpackFailed (0x0106). */

#include "asm_offsets.h"

#define STACK_SIZE 8192

	.section .text.start,"ax"
	.globl _unpack_start
_unpack_start:
	larl	%r6,_unpack_start	/* load address */
	larl	%r1,unpack_payload
	lg	%r8,UNPACK_DESC_HIGH(%r1)
	larl	%r3,__stub_file_end
	sgr	%r3,%r6			/* stub + payload size */
	clgr	%r3,%r8
	jh	.Lfail			/* the copy would overlap the original */
	lgr	%r2,%r6
	agr	%r2,%r8			/* destination */
	lgr	%r4,%r6
	lgr	%r5,%r3
	mvcl	%r2,%r4
	larl	%r1,.Lhigh
	agr	%r1,%r8
	br	%r1
.Lhigh:
	larl	%r15,unpack_stack+STACK_SIZE
	aghi	%r15,-160
	lghi	%r0,0
	stg	%r0,0(%r15)		/* back chain end */
	lgr	%r2,%r6
	larl	%r3,unpack_payload
	larl	%r4,unpack_payload_end
	sgr	%r4,%r3
	brasl	%r14,unpack_main
	ltgr	%r2,%r2
	jz	.Lfail
	bcr	15,0
	br	%r2
.Lfail:
	larl	%r1,.Lwait
	lpswe	0(%r1)

	.section .rodata.start,"a"
	.balign	8
.Lwait:
	.quad	PSW_MASK_DISABLED_WAIT, WAIT_UNPACK_FAILED

	.section .bss.stack,"aw",@nobits
	.balign	8
unpack_stack:
	.skip	STACK_SIZE
