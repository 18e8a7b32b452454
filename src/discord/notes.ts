import { localized } from '../core/reply/traditional.js';

/** The adapter's own notices, in each language the bot speaks. */
export const NOTES = localized({
  en: {
    expired: 'This button has expired. Run the command again for fresh results.',
    notYours: (command: string) => `Only the person who ran /${command} can page its results. Run /${command} yourself to search.`,
    noText: 'That message has no text to look up.',
    failed: 'Something went wrong while answering. It has been logged; please try again.',
    privateHere: 'Only you can see this: the bot may not post in this channel.',
    cannotShare: 'The bot may not post in this channel, so the answer cannot be shared here.',
    answeredPrivately: 'Answered privately.',
  },
  'zh-CN': {
    expired: '此按钮已过期。请重新运行命令以获取结果。',
    notYours: (command: string) => `只有运行 /${command} 的人才能翻页。请自己运行 /${command} 搜索。`,
    noText: '该消息没有可查找的文字。',
    failed: '回答时出错，已记录。请重试。',
    privateHere: '仅你可见：机器人无权在此频道发言。',
    cannotShare: '机器人无权在此频道发言，无法在此分享回答。',
    answeredPrivately: '已私下回复。',
  },
});
