/*
 * bc_kernel.h - the kernel's bytecode interpreter and audit, for tests.
 */
#ifndef SOCKWATCH_BC_KERNEL_H
#define SOCKWATCH_BC_KERNEL_H

#include <stdint.h>

#include <linux/inet_diag.h>

#include "sock.h"

struct inet_diag_bc_op bc_kernel_op(const uint8_t *, int off);
int	bc_kernel_run(const uint8_t *, int len, const struct sock_rec *);
int	bc_kernel_audit(const uint8_t *, int len);

#endif
