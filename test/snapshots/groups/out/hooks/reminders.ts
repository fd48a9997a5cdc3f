// Hooks of the `reminders` service: the code behind its endpoints and events.
// This file is yours. meshspec created it once and never overwrites it: when the spec gains an
// endpoint or event handler, `meshspec generate` only adds a stub for it at the end of the object,
// and it warns (without deleting anything) about members the spec no longer declares.

import type { RemindersHandlers, RemindersSubscriptions } from '../generated/reminders/handlers.js';
import { NotImplemented } from 'meshspec/runtime';

export const handlers: RemindersHandlers = {
  // GET /reminders/pending: PendingInput -> Pending
  async pending(_input, _ctx) {
    throw new NotImplemented('reminders.pending');
  },
};

export const subscriptions: RemindersSubscriptions = {
  // on appointment.booked: AppointmentBooked
  async remind(_payload, _ctx) {
    throw new NotImplemented('reminders.remind');
  },
};
