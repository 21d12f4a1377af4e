import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import type { FieldIssue } from '../common/app-error';

/** The rule for new and reset passwords: at least 10 characters, and a zxcvbn score of at least 3 ("safely unguessable"). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_SCORE = 3;

/** Most frequent surnames (百家姓, by population), written in pinyin without tones. */
const SURNAMES = [
  'wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'gao', 'lin', 'luo',
  'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng', 'cao', 'peng', 'zeng', 'xiao', 'tian', 'dong', 'yuan', 'pan', 'yu', 'jiang', 'cai', 'jia',
  'ding', 'wei', 'xue', 'ye', 'yan', 'lu', 'du', 'dai', 'xia', 'zhong', 'wen', 'fu', 'shen', 'ren', 'yao', 'lv', 'lyu', 'cui', 'qian', 'tan', 'fan', 'jin',
  'shi', 'liao', 'zou', 'xiong', 'qiu', 'qin', 'gu', 'hou', 'shao', 'meng', 'long', 'wan', 'duan', 'lei', 'bai', 'qiao', 'kong', 'chang', 'kang', 'yin',
  'mao', 'hao', 'niu', 'an', 'gong', 'wen', 'fang', 'shi', 'mo', 'ou', 'ouyang', 'situ', 'zhuge', 'shangguan', 'murong', 'sima',
];

/** Syllables that make up most given names, and whole given names that are common on their own. */
const GIVEN_NAMES = [
  'wei', 'fang', 'na', 'min', 'jing', 'li', 'qiang', 'lei', 'jun', 'yang', 'yong', 'yan', 'jie', 'juan', 'tao', 'ming', 'chao', 'xiu', 'xia', 'ping',
  'gang', 'gui', 'hua', 'hong', 'ying', 'hui', 'jian', 'bo', 'bin', 'lin', 'ling', 'mei', 'hai', 'xin', 'yu', 'ting', 'lan', 'feng', 'dan', 'qing',
  'xiaoming', 'xiaohong', 'xiaoli', 'xiaoyu', 'xiaoxiao', 'lili', 'tingting', 'jingjing', 'huihui', 'dandan', 'yuanyuan', 'weiwei', 'lingling',
  'zhiqiang', 'zhiwei', 'jianguo', 'jianhua', 'guoqiang', 'haiyan', 'xiuying', 'guiying', 'xiulan', 'yuying', 'guilan', 'xiumei', 'haitao', 'yufeng',
  'jianjun', 'jianping', 'xiaojun', 'xiaolong', 'xiaofeng', 'xiaoyan', 'xiaojing', 'xiaomei', 'xiaowei', 'xiaohui', 'chunmei', 'lihua', 'meili',
  'zhangwei', 'wangwei', 'wangfang', 'lina', 'liqiang', 'liuyang', 'zhangmin', 'wangjing', 'zhangjie', 'wangli', 'liyang', 'zhanglei', 'wangyong',
];

/** Chinese cities, provinces and the districts of the bureau's own city, in pinyin. */
const PLACES = [
  'beijing', 'shanghai', 'tianjin', 'chongqing', 'guangzhou', 'shenzhen', 'hangzhou', 'nanjing', 'wuhan', 'chengdu', 'xian', 'suzhou', 'changzhou',
  'wuxi', 'nantong', 'yangzhou', 'zhenjiang', 'taizhou', 'xuzhou', 'yancheng', 'huaian', 'lianyungang', 'suqian', 'ningbo', 'wenzhou', 'shaoxing',
  'jiaxing', 'huzhou', 'jinhua', 'hefei', 'jinan', 'qingdao', 'yantai', 'zhengzhou', 'luoyang', 'changsha', 'nanchang', 'fuzhou', 'xiamen', 'kunming',
  'guiyang', 'nanning', 'haikou', 'sanya', 'lanzhou', 'xining', 'yinchuan', 'wulumuqi', 'lasa', 'huhehaote', 'taiyuan', 'shijiazhuang', 'baoding',
  'tangshan', 'shenyang', 'dalian', 'changchun', 'haerbin', 'harbin', 'dongguan', 'foshan', 'zhuhai', 'shantou', 'hongkong', 'xianggang', 'aomen',
  'taibei', 'jiangsu', 'zhejiang', 'anhui', 'shandong', 'henan', 'hubei', 'hunan', 'guangdong', 'guangxi', 'fujian', 'jiangxi', 'sichuan', 'yunnan',
  'guizhou', 'shaanxi', 'shanxi', 'gansu', 'qinghai', 'hebei', 'liaoning', 'jilin', 'heilongjiang', 'hainan', 'xinjiang', 'xizang', 'neimenggu',
  'ningxia', 'zhongguo', 'china', 'tianning', 'zhonglou', 'xinbei', 'wujin', 'jintan', 'liyang', 'qinglong', 'hongmei', 'wuxing', 'menghe',
];

/** Words of the domain (the product, the bureau, care homes) and the phrases Chinese users put in passwords. */
const DOMAIN_WORDS = [
  'yian', 'minzheng', 'minzhengju', 'xiaofang', 'anquan', 'yanglao', 'yanglaoyuan', 'jinglaoyuan', 'fuliyuan', 'huliyuan', 'kangyang', 'yiyang',
  'jianguan', 'jiancha', 'zhenggai', 'zhengfu', 'admin', 'administrator', 'guanliyuan', 'mima', 'woaini', 'aini', 'iloveyou', 'woaini1314',
  'qq', 'baidu', 'weixin', 'taobao', 'zhifubao', 'shouji', 'nihao', 'zhongguoren', 'caonima', 'wobuzhidao', 'xingfu', 'kuaile', 'pingan',
  'facai', 'laopo', 'laogong', 'baobao', 'tiantian', 'abc', 'qwe', 'asd', 'zxc',
];

/** Number strings that are popular in China (love-you homophones, lucky digits, keypad runs) besides the plain 123456. */
const NUMBER_WORDS = [
  '123456', '1234567', '12345678', '123456789', '1234567890', '654321', '111111', '000000', '666666', '888888', '999999', '123123', '112233',
  '5201314', '1314520', '520520', '521521', '5211314', '1314', '520', '521', '147258', '147258369', '159357', '159753', '741852963', '123321',
  '168168', '518518', '668866', '886886', '110110', '119119', '12315', '12345', '11111111', '88888888', '66666666',
];

/** Short forms of place names as people type them: `changz`, `cz`, `czs` for 常州（市）. */
function placeAbbreviations(place: string): string[] {
  const syllables = place.match(/(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv]+(?:ng|n|r)?(?![aeiouv])/g);
  if (!syllables || syllables.length < 2 || syllables.join('') !== place) return [];
  const initials = syllables.map((s) => s.slice(0, /^(zh|ch|sh)/.test(s) ? 2 : 1));
  return [syllables[0] + initials.slice(1).join(''), initials.map((i) => i[0]).join(''), `${initials.map((i) => i[0]).join('')}s`];
}

let estimator: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: {
      ...commonDictionary,
      'zh-names': [...SURNAMES, ...GIVEN_NAMES],
      'zh-places': [...PLACES, ...PLACES.flatMap(placeAbbreviations)],
      'zh-common': [...DOMAIN_WORDS, ...NUMBER_WORDS],
    },
    graphs: adjacencyGraphs,
    // Levenshtein matching costs ~1 s per check on a 20-character random password; the dictionaries and the
    // username parts catch the same near-misses here (see password-policy.spec.ts).
    useLevenshteinDistance: false,
    l33tMaxSubstitutions: 8,
  });
  return estimator;
}

/** What the account's own details contribute as guessable words: its username (and parts), name, institution. */
export interface PasswordContext {
  username?: string;
  displayName?: string;
  institutionName?: string;
}

/**
 * Pure check of a new password against the policy; `[]` when acceptable. The reason names the field `password`;
 * its message (zh/en) comes from the field-message catalogue.
 */
export function passwordIssues(password: string, context: PasswordContext = {}): FieldIssue[] {
  if (password.length < PASSWORD_MIN_LENGTH) return [{ field: 'password', reason: 'passwordTooShort', args: [PASSWORD_MIN_LENGTH] }];
  if (password.length > PASSWORD_MAX_LENGTH) return [{ field: 'password', reason: 'maxLength', args: [PASSWORD_MAX_LENGTH] }];
  const inputs = [context.username, context.displayName, context.institutionName]
    .filter((s): s is string => !!s)
    .flatMap((s) => [s, ...s.split(/[^\p{L}\p{N}]+/u), ...s.split(/[^\p{L}]+/u)].filter((part) => part.length >= 3));
  const { score } = zxcvbn().check(password, inputs);
  return score < PASSWORD_MIN_SCORE || containsUsername(password, context.username) ? [{ field: 'password', reason: 'passwordTooWeak' }] : [];
}

/** The whole username inside the password, whatever the case and separators (`Hongmei-Yiyang1` for `hongmei.yiyang`). */
function containsUsername(password: string, username: string | undefined): boolean {
  const bare = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const name = bare(username ?? '');
  return name.length >= 4 && bare(password).includes(name);
}
