/** The reaction codes a portal accepts (CB2 chat-message-reaction-add.md; "may change without notice"). */
export const REACTION_CODES: readonly string[] = [
  "like", "dislike", "faceWithTearsOfJoy", "redHeart", "neutralFace", "fire", "cry", "slightlySmilingFace",
  "winkingFace", "laugh", "kiss", "wonder", "slightlyFrowningFace", "loudlyCryingFace", "faceWithStuckOutTongue",
  "faceWithStuckOutTongueAndWinkingEye", "smilingFaceWithSunglasses", "confusedFace", "flushedFace", "thinkingFace",
  "angry", "smilingFaceWithHorns", "faceWithThermometer", "facepalm", "poo", "flexedBiceps", "clappingHands",
  "raisedHand", "smilingFaceWithHeartEyes", "smilingFaceWithHearts", "pleadingFace", "relievedFace", "foldedHands",
  "okHand", "signHorns", "loveYouGesture", "clownFace", "partyingFace", "questionMark", "exclamationMark",
  "lightBulb", "bomb", "sleepingSymbol", "crossMark", "whiteHeavyCheckMark", "eyes", "handshake", "hundredPoints",
];

export function isReactionCode(code: string): boolean {
  return REACTION_CODES.includes(code);
}
