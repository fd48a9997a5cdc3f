// Hooks of the `payments` service: the code behind its endpoints.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { PaymentsHandlers } from '../generated/payments/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: PaymentsHandlers = {
  // POST /payments: CreatePayment -> Payment; errors: AmountMismatch, Conflict, NotFound, PaymentDeclined
  async createPayment(input, ctx) {
    throw new NotImplemented('payments.createPayment');
  },

  // GET /payments/{id}: GetPaymentInput -> Payment; errors: NotFound
  async getPayment(input, ctx) {
    throw new NotImplemented('payments.getPayment');
  },
};
