import type { Words } from './en.js';

/** The bot's own words in Simplified Chinese; Traditional is derived from these by opencc. */
export const zhCN = {
  errors: {
    title: '错误',
    genericFailure: '回答时出错，已记录。请重试。',
    rateLimited: (seconds: number) => `你的提问速度超过了机器人公平回答所有人的速度。请在 ${seconds} 秒后重试。`,
    unknownCommand: '没有这个命令。请用 /help 查看命令列表。',
    unknownOption: (command: string, allowed: string) => `/${command} 没有这个选项。它的选项：${allowed}。`,
    noOptions: '无',
    unexpectedText: (command: string) => `/${command} 不接受自由文本。请试试 /help ${command}。`,
    invalidInput: (command: string) => `/${command}：输入无效。请试试 /help ${command}。`,
    required: (option: string, description: string) => `${option} 为必填项：${description}`,
    tooLong: (option: string, max: number) => `${option} 超过 ${max} 个字符，请缩短。`,
    wholeNumber: (option: string, min: number, max: number) => `${option} 必须是 ${min} 到 ${max} 之间的整数。`,
    number: (option: string, min: number, max: number) => `${option} 必须是 ${min} 到 ${max} 之间的数字。`,
    boolean: (option: string) => `${option} 必须是 true 或 false。`,
    invalidValue: (option: string, detail: string) => `${option} 的值无效（${detail}）。`,
    oneOf: (option: string, choices: string) => `${option} 必须是以下之一：${choices}。`,
    staleButton: '此按钮已失效。请重新运行命令。',
    noText: '该消息没有可查找的文字。',
  },
} satisfies Words;
