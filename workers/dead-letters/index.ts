/** Dead letters: messages the consumer could not store, kept for inspection and replay. */
export { deadLettersApi } from "./api";
export { consumeDeadLetters, deadLetter } from "./writer";
