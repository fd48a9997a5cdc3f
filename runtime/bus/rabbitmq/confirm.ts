// Publishing on a confirm channel as a promise: it settles when the broker confirms (or nacks) the message.
import type { ConfirmChannel, Options } from 'amqplib';

export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // amqplib calls back with an error on a nack and when the channel closes before the confirm.
    channel.publish(exchange, routingKey, content, options, (err: unknown) => {
      if (err) reject(err instanceof Error ? err : new Error(`the broker did not confirm the message (routing key '${routingKey}')`));
      else resolve();
    });
  });
}
